export { DELETE, GET, PATCH, POST, PUT } from '../../v1/users/[id]/route';
