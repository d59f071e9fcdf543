export { DELETE, GET, PATCH, POST, PUT } from '../../v1/imports/[id]/route';
