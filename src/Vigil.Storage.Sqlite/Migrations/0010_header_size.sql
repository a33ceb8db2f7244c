-- Where the top-level header ends (the offset of the body, after the blank line), so FETCH of
-- BODY[HEADER.FIELDS (...)], BODY[HEADER], BODY[TEXT] and RFC822.HEADER needs neither the summary
-- nor its decoding. Set at delivery from the summary; NULL for messages stored before this column,
-- which FETCH serves from their summary as before.
ALTER TABLE messages ADD COLUMN header_size INTEGER;
