// The lesson pages a reader has visited, as the browser keeps them for the course map.

/** Where lesson pages record that they were visited: a JSON list of lesson ids. */
export const visitedKey = 'grokking:visited:v1';

/** The ids of the lessons visited, as kept; a damaged list reads as none. */
export function readVisited(saved: string | null): string[] {
  try {
    const list: unknown = JSON.parse(saved ?? '[]');
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
