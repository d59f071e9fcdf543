export { DELETE, GET, PATCH, POST, PUT } from '../../v1/admin/coach-links/route';
