// Authoring: the exercise editor page and the validation page (each init does nothing on a
// page without its elements).
import { initEditorPage } from "./authoring_page.js";
import { initValidationPage } from "./authoring_validation.js";

export function init() {
  initEditorPage();
  initValidationPage();
}
