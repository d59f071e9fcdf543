export { DELETE, GET, PATCH, POST, PUT } from '../../../v1/experiments/[key]/report/route';
