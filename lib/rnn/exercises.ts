// The graded exercises that use the recurrent-network editor: what each network must compute.

export interface Exercise {
  id: 'xor' | 'add';
  title: string;
  /** The number whose n+1 bits, least significant first, the network must output. */
  target: (a: bigint, b: bigint) => bigint;
  /** The operator as written in a sum, for messages: "a + b". */
  symbol: string;
}

export const exercises: Record<Exercise['id'], Exercise> = {
  xor: { id: 'xor', title: 'Warm-up: bitwise XOR', target: (a, b) => a ^ b, symbol: 'XOR' },
  add: { id: 'add', title: 'Binary addition', target: (a, b) => a + b, symbol: '+' },
};

/** Looks up an exercise by id; undefined for an unknown one. */
export function exerciseById(id: string): Exercise | undefined {
  return id === 'xor' || id === 'add' ? exercises[id] : undefined;
}
