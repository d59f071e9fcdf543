export { GET, POST, PUT, PATCH, DELETE } from '../v1/profile_versions/route';
