export { DELETE, GET, PATCH, POST, PUT } from '../v1/imports/route';

export const maxDuration = 120;
