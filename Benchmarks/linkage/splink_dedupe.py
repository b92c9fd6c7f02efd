#!/usr/bin/env python3
"""Splink's documented approach on the generated file, for comparison with Cairn.

DuckDB backend; light standardisation (lower-case names, postcodes with one space, phones
to national digits, full dates of birth to ISO — partial ones become null, as Splink's date
comparison needs a date); blocking rules a Splink user would choose for people data;
prior from a deterministic rule, u by random sampling, m by EM on two blocking rules;
predict at 0.5, cluster at 0.5. Writes clusters (id,cluster_id) and pairs like Cairn.

usage: splink_dedupe.py input.csv clusters.csv pairs.csv
"""
import sys
import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

src, clusters_out, pairs_out = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect()
con.sql(f"""
create table people as
with raw as (select * from read_csv('{src}', header=true, all_varchar=true, quote='"', escape='"'))
select record_id,
  nullif(lower(trim(strip_accents(given_name))), '') as given_name,
  nullif(lower(trim(strip_accents(family_name))), '') as family_name,
  coalesce(
    try_strptime(date_of_birth, '%d/%m/%Y'), try_strptime(date_of_birth, '%Y-%m-%d'),
    try_strptime(date_of_birth, '%d %B %Y'), try_strptime(date_of_birth, '%d/%m/%y'),
    try_strptime(date_of_birth, '%d.%m.%Y'))::date::varchar as dob,
  nullif(upper(regexp_replace(address, '[^A-Za-z0-9 ]', '', 'g')), '') as address,
  nullif(lower(town), '') as town,
  case when length(regexp_replace(upper(postcode), '[^A-Z0-9]', '', 'g')) between 5 and 7 then
    left(regexp_replace(upper(postcode), '[^A-Z0-9]', '', 'g'), length(regexp_replace(upper(postcode), '[^A-Z0-9]', '', 'g')) - 3)
    || ' ' || right(regexp_replace(upper(postcode), '[^A-Z0-9]', '', 'g'), 3) end as postcode,
  nullif(regexp_replace(regexp_replace(regexp_replace(phone, '[^0-9+]', '', 'g'), '^(\\+44|0044)', '0'), '^0?7', '07'), '') as phone,
  nullif(lower(trim(email)), '') as email
from raw
""")

db_api = DuckDBAPI(connection=con)
settings = SettingsCreator(
    link_type="dedupe_only",
    unique_id_column_name="record_id",
    comparisons=[
        cl.ForenameSurnameComparison("given_name", "family_name"),
        cl.DateOfBirthComparison("dob", input_is_string=True),
        cl.PostcodeComparison("postcode"),
        cl.ExactMatch("address").configure(term_frequency_adjustments=True),
        cl.ExactMatch("phone").configure(term_frequency_adjustments=True),
        cl.EmailComparison("email"),
        cl.ExactMatch("town"),
    ],
    blocking_rules_to_generate_predictions=[
        block_on("given_name", "family_name"),
        "l.given_name = r.family_name and l.family_name = r.given_name",
        block_on("dob"),
        block_on("family_name", "substr(dob, 1, 4)"),
        block_on("given_name", "substr(dob, 1, 4)"),
        block_on("phone"),
        block_on("email"),
        block_on("postcode", "substr(given_name, 1, 1)"),
    ],
    retain_intermediate_calculation_columns=False,
    retain_matching_columns=False,
)
sdf = db_api.register("people")
linker = Linker(sdf, settings)
linker.training.estimate_probability_two_random_records_match(
    [block_on("given_name", "family_name", "dob")], recall=0.7)
linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
linker.training.estimate_parameters_using_expectation_maximisation(block_on("given_name", "family_name"))
linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
pred = linker.inference.predict(threshold_match_probability=0.5)
clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold_match_probability=0.5)
con.sql(f"copy (select record_id as id, cluster_id from {clusters.physical_name} order by record_id) to '{clusters_out}' (header, delimiter ',')")
con.sql(f"copy (select record_id_l as id_l, record_id_r as id_r, match_probability from {pred.physical_name}) to '{pairs_out}' (header, delimiter ',')")
