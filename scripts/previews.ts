// Writes the model views' previews into public/previews/: `npm run previews` after the model changes.
import { writeFileSync } from 'node:fs';
import { makePreviews } from './previews/make.ts';

for (const [name, content] of Object.entries(makePreviews())) {
  writeFileSync(`public/previews/${name}`, content);
  console.log(`public/previews/${name}`);
}
