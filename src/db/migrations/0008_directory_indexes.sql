-- The bureau directory's usual question is "this district, this industry":
-- with (region, industry) its count and first page read the index alone
-- instead of fetching every row of the district (100,000 firms: ~30 ms to
-- under 5 ms; docs/performance.md). industry alone serves the city-wide
-- industry filter.
CREATE INDEX enterprise_region_industry ON enterprise(region, industry);
CREATE INDEX enterprise_industry ON enterprise(industry);
-- the characteristic filter takes its firms from this index as one set
CREATE INDEX enterprise_characteristic_code ON enterprise_characteristic(code, enterprise_id);
