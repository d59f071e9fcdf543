export { DELETE, GET, PATCH, POST, PUT } from '../../v1/sessions/[id]/route';
