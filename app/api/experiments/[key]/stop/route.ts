export { DELETE, GET, PATCH, POST, PUT } from '../../../v1/experiments/[key]/stop/route';
