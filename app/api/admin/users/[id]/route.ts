export { DELETE, GET, PATCH, POST, PUT } from '../../../v1/admin/users/[id]/route';
