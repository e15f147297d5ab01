// Texts of the exports' and the import's progress on the Data page, Russian and English. Kept apart from ru.ts/en.ts so
// this part can grow without touching the panel's shared texts.
export const dataRu = {
  progressRows: '{done} из {total} строк',
  progressRowsSoFar: '{done} строк',
  progressBytes: '{text}, {size}',
  checkingRows: 'Проверка строк',
  importingRows: 'Загрузка строк',
  exportingRows: 'Выгрузка',
  progressWaiting: 'Начинаем…',
  progressDone: 'Готово',
  exportDone: 'Готово: {rows} строк, {size}. Файл — в загрузках браузера.',
  exportFailed: 'Выгрузка не удалась: {error}',
  exportNoStart: 'Выгрузка не началась. Проверьте загрузки браузера или попробуйте ещё раз.',
  importExpiresOn: 'Баллы сгорают после (необязательно)',
  importExpiresHint: 'Пусто — по сроку жизни баллов программы, считая с сегодняшнего дня.',
  importFileAny: 'Файл CSV или XLSX',
  importReplayed: 'Этот файл уже загружался так же — ничего не добавлено.',
  importAlready: 'Этот файл уже загружался так же: повторная загрузка ничего не добавит.',
  kb: '{n} КБ',
  mb: '{n} МБ',
};

export type DataMessages = typeof dataRu;

export const dataEn: DataMessages = {
  progressRows: '{done} of {total} rows',
  progressRowsSoFar: '{done} rows',
  progressBytes: '{text}, {size}',
  checkingRows: 'Checking rows',
  importingRows: 'Importing rows',
  exportingRows: 'Exporting',
  progressWaiting: 'Starting…',
  progressDone: 'Done',
  exportDone: 'Done: {rows} rows, {size}. The file is in your browser\'s downloads.',
  exportFailed: 'The export failed: {error}',
  exportNoStart: 'The export did not start. Check your browser\'s downloads or try again.',
  importExpiresOn: 'Points expire after (optional)',
  importExpiresHint: 'Empty: the program\'s points lifetime, counted from today.',
  importFileAny: 'CSV or XLSX file',
  importReplayed: 'This file was already imported the same way: nothing was added.',
  importAlready: 'This file was already imported the same way: importing it again adds nothing.',
  kb: '{n} KB',
  mb: '{n} MB',
};
