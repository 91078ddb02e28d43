export { invalid, notFound, conflict, gone, type FieldProblem } from './field-error';
