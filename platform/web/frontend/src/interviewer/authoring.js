// authoring: to be written.
export function init() {}
