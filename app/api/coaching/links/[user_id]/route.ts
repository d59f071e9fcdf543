export { DELETE, GET, PATCH, POST, PUT } from '../../../v1/coaching/links/[user_id]/route';
