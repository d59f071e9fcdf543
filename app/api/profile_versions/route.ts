export { DELETE, GET, PATCH, POST, PUT } from '../v1/profile_versions/route';
