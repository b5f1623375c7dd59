/** The series name a legend shows: the query's template with the series' labels filled in. */
export function legendName(template: string, labels: Record<string, string> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => labels?.[k] ?? '');
}
