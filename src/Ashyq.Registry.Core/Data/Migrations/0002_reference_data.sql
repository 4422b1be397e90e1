-- Categories, districts and the built-in category aliases of the weekly export contract.

INSERT INTO categories (code, name_ru, name_kk, name_en, sort_order) VALUES
    ('catering', 'Общественное питание', 'Қоғамдық тамақтану', 'Catering', 1),
    ('markets', 'Рынки, ТРЦ и торговые дома', 'Базарлар мен сауда орталықтары', 'Markets and shopping centres', 2),
    ('beauty', 'Салоны красоты и парикмахерские', 'Сұлулық салондары мен шаштараздар', 'Beauty salons and hairdressers', 3),
    ('children', 'Детские оздоровительные центры', 'Балаларды сауықтыру орталықтары', 'Children''s health centres', 4),
    ('fitness', 'Фитнес-клубы и йога-центры', 'Фитнес-клубтар мен йога орталықтары', 'Fitness clubs and yoga centres', 5),
    ('hotels', 'Гостиницы и отели', 'Қонақ үйлер', 'Hotels', 6),
    ('leisure', 'Развлекательные и культурные объекты', 'Ойын-сауық және мәдени нысандар', 'Leisure and culture', 7),
    ('other', 'Прочее', 'Басқа', 'Other', 8);

INSERT INTO districts (code, name_ru, name_kk, name_en, sort_order) VALUES
    ('alatau', 'Алатауский', 'Алатау', 'Alatau', 1),
    ('almaly', 'Алмалинский', 'Алмалы', 'Almaly', 2),
    ('auezov', 'Ауэзовский', 'Әуезов', 'Auezov', 3),
    ('bostandyk', 'Бостандыкский', 'Бостандық', 'Bostandyk', 4),
    ('zhetysu', 'Жетысуский', 'Жетісу', 'Zhetysu', 5),
    ('medeu', 'Медеуский', 'Медеу', 'Medeu', 6),
    ('nauryzbay', 'Наурызбайский', 'Наурызбай', 'Nauryzbay', 7),
    ('turksib', 'Турксибский', 'Түрксіб', 'Turksib', 8);

-- Every category's own names are aliases too, in all three languages.
INSERT INTO category_aliases (alias, category_code, is_builtin)
SELECT DISTINCT lower(replace(n, 'ё', 'е')), code, true
FROM categories, LATERAL (VALUES (name_ru), (name_kk), (name_en)) AS names (n)
WHERE code <> 'other';

INSERT INTO category_aliases (alias, category_code, is_builtin)
SELECT lower(replace(a, 'ё', 'е')), c, true
FROM (VALUES
    ('catering', 'общепит'), ('catering', 'объект общественного питания'), ('catering', 'кафе'),
    ('catering', 'ресторан'), ('catering', 'столовая'), ('catering', 'кофейня'), ('catering', 'бар'),
    ('markets', 'рынок'), ('markets', 'базар'), ('markets', 'трц'), ('markets', 'тц'),
    ('markets', 'торговый центр'), ('markets', 'торгово-развлекательный центр'), ('markets', 'торговый дом'),
    ('beauty', 'салон красоты'), ('beauty', 'парикмахерская'), ('beauty', 'барбершоп'), ('beauty', 'ногтевая студия'),
    ('children', 'детский центр'), ('children', 'детский оздоровительный центр'), ('children', 'детский лагерь'),
    ('fitness', 'фитнес'), ('fitness', 'фитнес-клуб'), ('fitness', 'йога'), ('fitness', 'йога-центр'),
    ('fitness', 'тренажерный зал'), ('fitness', 'спортзал'),
    ('hotels', 'гостиница'), ('hotels', 'отель'), ('hotels', 'хостел'),
    ('leisure', 'кинотеатр'), ('leisure', 'театр'), ('leisure', 'музей'), ('leisure', 'боулинг'),
    ('leisure', 'бильярд'), ('leisure', 'караоке')
) AS builtin (c, a)
ON CONFLICT (alias) DO NOTHING;
