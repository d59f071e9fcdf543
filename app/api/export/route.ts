export { DELETE, GET, PATCH, POST, PUT } from '../v1/export/route';
