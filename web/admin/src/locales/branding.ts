// Texts of the branding contrast check (web/admin/src/brandingContrast.ts), in Settings and in the set-up wizard,
// Russian and English. Kept apart from ru.ts/en.ts so the check can grow without touching the panel's shared texts.
export const brandingRu = {
  colours: 'Цвета карты',
  coloursHint: 'Их можно поменять потом в настройках.',
  accentColor: 'Акцентный цвет (кнопки, ссылки)',
  cardColor: 'Цвет карты',
  cardTextColor: 'Цвет текста на карте',
  contrastTitle: 'Читаемость цветов',
  contrastHint: 'Контраст текста и фона: для уверенного чтения нужно не меньше 4,5:1.',
  contrastAccent: 'Акцентный цвет — ссылки и вкладки на белом фоне',
  contrastCard: 'Текст карты на цвете карты',
  contrastRatio: 'контраст {ratio}:1',
  contrastOk: 'читается',
  contrastLow: 'Трудно читать (меньше 4,5:1). Сохранить можно: приложение карты само покажет покупателям более читаемый оттенок.',
  contrastFix: 'Взять читаемый оттенок',
  contrastFixed: 'Цвет заменён на {color} — контраст {ratio}:1.',
};

export type BrandingMessages = typeof brandingRu;

export const brandingEn: BrandingMessages = {
  colours: 'Card colours',
  coloursHint: 'You can change them later in Settings.',
  accentColor: 'Accent colour (buttons, links)',
  cardColor: 'Card colour',
  cardTextColor: 'Card text colour',
  contrastTitle: 'Colour contrast',
  contrastHint: 'Contrast of text and its background: at least 4.5:1 reads comfortably.',
  contrastAccent: 'Accent colour — links and tabs on white',
  contrastCard: 'Card text on the card colour',
  contrastRatio: 'contrast {ratio}:1',
  contrastOk: 'readable',
  contrastLow: 'Hard to read (below 4.5:1). You can still save it: the card app shows customers a readable shade by itself.',
  contrastFix: 'Use a readable shade',
  contrastFixed: 'Colour changed to {color} — contrast {ratio}:1.',
};
