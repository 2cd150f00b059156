// A question's Check pressed before its island hydrates: the form submits nowhere (method="dialog"),
// so this marks it, and the question checks the answer as soon as it hydrates (Question.svelte).
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches('form.question')) return;
  if (form.dataset['ready'] === 'true') return; // hydrated: the question's own handler has it
  event.preventDefault();
  form.dataset['early'] = 'check';
});
