// assessments: to be written.
export function init() {}
