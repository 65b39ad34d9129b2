import { body } from 'express-validator';
import { PRICE_MAX, TITLE_MAX_LENGTH } from '../models/ticket';

export const titleField = () =>
  body('title')
    .exists({ values: 'null' })
    .withMessage('Title is required')
    .bail()
    .isString()
    .withMessage('Title must be a string')
    .bail()
    .trim()
    .notEmpty()
    .withMessage('Title is required')
    .bail()
    .isLength({ max: TITLE_MAX_LENGTH })
    .withMessage(`Title must be at most ${TITLE_MAX_LENGTH} characters`);

/** Prices are JSON numbers in currency units with at most two decimals (cents). */
export const priceField = () =>
  body('price')
    .exists({ values: 'null' })
    .withMessage('Price is required')
    .bail()
    .custom((value) => typeof value === 'number' && Number.isFinite(value))
    .withMessage('Price must be a number')
    .bail()
    .custom((value: number) => value > 0)
    .withMessage('Price must be greater than 0')
    .bail()
    .custom((value: number) => value <= PRICE_MAX)
    .withMessage(`Price must be at most ${PRICE_MAX}`)
    .bail()
    .custom((value: number) => Number(value.toFixed(2)) === value)
    .withMessage('Price must have at most two decimals');

export interface TicketInput {
  title: string;
  price: number;
}
