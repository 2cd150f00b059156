// The student's name and ID, typed once and carried by every export: one state for the whole page
// (both editors on a lesson show the same), kept with the rest of the student's data and updated
// when another tab changes it.
import { readStudent, studentKeptName, type Student } from '../lib/gradebook/student.ts';
import { pageStorage, watchKept } from './kept-storage.ts';

class KeptStudent {
  name = $state('');
  id = $state('');
  #opened = false;

  /** Reads the kept name and ID once, and from then on hears other tabs' changes. */
  open(): void {
    if (this.#opened) return;
    this.#opened = true;
    this.#take(pageStorage.getItem(studentKeptName));
    watchKept(studentKeptName, (text) => this.#take(text));
  }

  #take(text: string | null): void {
    let value: unknown = null;
    try {
      value = text === null ? null : JSON.parse(text);
    } catch {
      // A damaged entry reads as no name: the student types it again.
    }
    const student = readStudent(value);
    this.name = student.name;
    this.id = student.id;
  }

  /** The name and ID as the fields hold them, trimmed as a file records them. */
  get value(): Student {
    return readStudent({ name: this.name, id: this.id });
  }

  /** Takes a field's new text and keeps both. */
  set(field: 'name' | 'id', text: string): void {
    this[field] = text;
    const { name, id } = this.value;
    if (name === '' && id === '') pageStorage.removeItem(studentKeptName);
    else pageStorage.setItem(studentKeptName, JSON.stringify({ name, id }));
  }
}

/** The page's one student. */
export const student = new KeptStudent();
