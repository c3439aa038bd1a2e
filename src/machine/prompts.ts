/** Prompt texts live in .md files beside this module (reviewable, diffable), loaded once. */
import { readFileSync } from 'node:fs';

const load = (name: string): string => readFileSync(new URL(`./prompts/${name}.md`, import.meta.url), 'utf8').trim();

export const SYSTEM_PROMPT = load('system');
export const PLAN_INSTRUCTION = load('plan');
export const EDIT_INSTRUCTION = load('edit');
/** Sent with the results of an edit the model called while planning (the plan ended there). */
export const PLAN_EDIT_INSTRUCTION = load('plan-edit');
