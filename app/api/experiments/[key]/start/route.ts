export { DELETE, GET, PATCH, POST, PUT } from '../../../v1/experiments/[key]/start/route';
