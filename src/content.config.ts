// The lessons collection: one MDX file per lesson under content/lessons, typed by this schema.
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

const lessons = defineCollection({
  loader: glob({ pattern: '*.mdx', base: './content/lessons' }),
  schema: z.object({
    title: z.string().min(1),
    order: z.number().int().positive(),
    summary: z.string().min(1),
    /** 'coming' lessons appear in the course map but get no page yet. */
    status: z.enum(['ready', 'coming']).default('ready'),
    /** The graded exercise of the lesson, if it has one (src/progress.ts: where "solved" is kept). */
    exercise: z.enum(['binary-addition', 'clock']).optional(),
    /** What the lesson needs from the browser. */
    needs: z
      .object({
        webgpu: z.enum(['none', 'optional', 'required']).default('none'),
        worker: z.boolean().default(false),
      })
      .default({ webgpu: 'none', worker: false }),
  }),
});

export const collections = { lessons };
