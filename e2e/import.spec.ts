import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { expectAccessible, signInAs } from './helpers';

const STRONG = 'tests/fixtures/imports/strong/comma-12-columns-kg.csv';
const sets = (parse(readFileSync(STRONG), { columns: true, bom: true }) as unknown[]).length;

test('a lifter imports a Strong export: asked for the unit, sees the report and the history, and undoes it', async ({
  page,
}) => {
  await signInAs(page, 'lifter');
  await page.getByRole('link', { name: 'Import' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Bring your history' })).toBeVisible();
  const upload = page.getByRole('region', { name: 'Upload an export' });
  await upload.getByLabel('Export file (CSV)').setInputFiles(STRONG);
  await upload.getByRole('button', { name: 'Import' }).click();
  await expect(upload.getByRole('alert')).toContainText('choose kilograms or pounds');

  await upload.getByLabel('Weights are in').selectOption('kg');
  await upload.getByRole('button', { name: 'Import' }).click();
  await expect(upload.getByTestId('import-report')).toContainText(`Imported ${sets} sets`);
  const history = page.getByRole('region', { name: 'Your imports' });
  const row = history.getByTestId('import-history').locator('tr', { hasText: 'comma-12-columns-kg.csv' }).first();
  await expect(row).toContainText(`${sets} / 0 / 0`);
  await expectAccessible(page);

  // The same file again adds nothing.
  await upload.getByRole('button', { name: 'Import' }).click();
  await expect(upload.getByTestId('import-report')).toContainText('Imported 0 sets');

  const undoButtons = history.getByRole('button', { name: /^Undo import of/ });
  await expect(undoButtons).toHaveCount(2);
  await undoButtons.first().click();
  await expect(undoButtons).toHaveCount(1);
  await undoButtons.first().click();
  await expect(undoButtons).toHaveCount(0);
  await expect(history.getByRole('status')).toContainText(`Removed ${sets} sets`);
  await expect(row).toContainText('undone');
});
