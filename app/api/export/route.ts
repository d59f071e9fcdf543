export { GET, POST, PUT, PATCH, DELETE } from '../v1/export/route';
