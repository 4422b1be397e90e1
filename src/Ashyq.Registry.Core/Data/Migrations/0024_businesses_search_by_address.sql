-- The public search looks for every word of the text in a business's name or address (a street and
-- house number: "Абая 12"), or in the name of its district. One trigram index over the name and the
-- address together answers all the words at once; a district named in the search is read through its
-- own index, so that a word such as "Алмалинский" never scans the whole table.
CREATE INDEX ix_businesses_search_trgm ON businesses USING gin ((lower(name || ' ' || coalesce(address, ''))) gin_trgm_ops);
CREATE INDEX ix_businesses_district ON businesses (district_code);
