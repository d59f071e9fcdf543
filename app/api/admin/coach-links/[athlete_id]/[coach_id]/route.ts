export { DELETE, GET, PATCH, POST, PUT } from '../../../../v1/admin/coach-links/[athlete_id]/[coach_id]/route';
