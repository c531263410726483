// report: to be written.
export function init() {}
