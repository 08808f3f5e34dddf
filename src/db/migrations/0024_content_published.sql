-- 0024: the public lists page through published items newest first; with
-- published_at right after status, a page is a walk down this index that
-- stops at the page's end (0.1 ms for page 9 of 10,000), where the list
-- index (status, kind, …) made every page sort all of them (1.6 ms).
CREATE INDEX content_item_published ON content_item(status, published_at, id);
