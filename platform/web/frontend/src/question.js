// Question page: form#answer-form is autosaved like the editor ({"choices": [...]} or
// {"text": "..."}), with the same local copy and the same restore-on-load rule.
import { Autosave } from "./autosave.js";
import { onExpire } from "./timer.js";

export function initQuestion() {
  const form = document.getElementById("answer-form");
  if (!form) return;
  const textarea = form.querySelector('textarea[name="text"]');
  const choices = () => Array.from(form.querySelectorAll('input[name="choice"]'));

  const read = () => {
    if (textarea) return { text: textarea.value };
    const picked = choices()
      .filter((input) => input.checked)
      .map((input) => Number.parseInt(input.value, 10))
      .filter(Number.isInteger)
      .sort((a, b) => a - b);
    return { choices: picked };
  };
  const write = (answer) => {
    if (textarea) {
      if (typeof answer.text === "string") textarea.value = answer.text;
      return;
    }
    const picked = new Set(Array.isArray(answer.choices) ? answer.choices : []);
    for (const input of choices()) input.checked = picked.has(Number.parseInt(input.value, 10));
  };
  const content = () => JSON.stringify(read());

  const autosave = new Autosave({
    url: form.dataset.answerUrl,
    status: document.getElementById("save-status"),
    initial: content(),
    savedAt: form.dataset.savedAt || "",
    toBody: (text) => JSON.parse(text),
    debounceMs: 600,
  });

  const local = autosave.takeLocal();
  if (local !== null) {
    try {
      write(JSON.parse(local));
      autosave.change(content());
      autosave.saveNow();
    } catch {
      // An unreadable local copy: keep what the server rendered.
    }
  }

  const changed = () => autosave.change(content());
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // Answers are saved as they change; Enter in the form only saves now.
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    changed();
    autosave.saveNow();
  });

  onExpire(() => {
    if (textarea) textarea.readOnly = true;
    for (const input of choices()) input.disabled = true;
  });
}
