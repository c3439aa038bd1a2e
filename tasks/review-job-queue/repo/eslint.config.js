import tseslint from "typescript-eslint"

export default tseslint.config(...tseslint.configs.recommended, {
  files: ["src/**/*.ts"],
  rules: {
    eqeqeq: "error",
    "no-console": "error",
  },
})
