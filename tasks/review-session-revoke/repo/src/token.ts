/** An unguessable session token: 128 random bits, hex-encoded (32 characters). */
export function newToken(): string {
  let token = "";
  for (let i = 0; i < 4; i++) {
    token += Math.floor(Math.random() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, "0");
  }
  return token;
}
