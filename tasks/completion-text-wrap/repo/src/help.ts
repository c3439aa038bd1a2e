import { alignRows } from './columns';
import { wrapText } from './wrap';

export interface OptionHelp {
  flags: string;
  description: string;
}

/** A CLI `--help` screen: usage line, wrapped description, aligned options (descriptions wrapped). */
export function formatHelp(
  usage: string,
  description: string,
  options: readonly OptionHelp[],
  width = 80,
): string {
  const flagWidth = Math.max(...options.map((o) => o.flags.length), 0) + 4;
  const lines = [`Usage: ${usage}`, '', ...wrapText(description, width), '', 'Options:'];
  for (const option of options) {
    const [first, ...rest] = wrapText(option.description, width - flagWidth);
    lines.push(
      ...alignRows([[`  ${option.flags}`, first ?? '']], flagWidth - option.flags.length - 2),
    );
    for (const line of rest) lines.push(' '.repeat(flagWidth) + line);
  }
  return lines.join('\n') + '\n';
}
