-- Registration, review and invites: the lookups their lists and checks make.
-- (The tables themselves are in 0002_accounts.sql.)

-- staff invite lists: one district's, newest first
CREATE INDEX invite_region_created ON invite(region, created_at);
-- "my join requests" and the duplicate check of POST /join-requests
CREATE INDEX join_request_user ON join_request(user_id, status);
-- the applicant's applications (PUT /registration checks the applicant)
CREATE INDEX enterprise_applicant ON enterprise(applicant_user_id);
