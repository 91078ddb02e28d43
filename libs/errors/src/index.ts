export { invalid, notFound, conflict, forbidden, gone, unavailable, type FieldProblem } from './field-error';
