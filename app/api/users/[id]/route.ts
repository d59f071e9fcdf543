export { GET, POST, PUT, PATCH, DELETE } from '../../v1/users/[id]/route';
