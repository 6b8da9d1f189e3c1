-- Outcomes per destination: every bundled transaction screened against the six regimes (US, EU, NL, JP, DE,
-- KR) under the rules in force on its own date. `summary` is the outcome when every regime with jurisdiction
-- decided, and otherwise says why there is none (`needs review: ...`, `outside every regime's jurisdiction`,
-- `failed: US`, `unreadable`). One field is read, so each row is screened once (see the crate docs).
SELECT destination, s['summary'] AS summary, count(*) AS transactions
FROM (SELECT destination,
             screen(exporter, exporter_country, "item.ccl", "item.eu", "item.wa", "item.nl", "item.jp",
                "item.kr", item_origin, us_content, data_centre, tpp, performance_density, activity,
                destination, purchaser, intermediate_consignee, ultimate_consignee, end_user,
                end_use, us_person, fdp, notified, "date", contract_date) AS s
      FROM transactions)
GROUP BY 1, 2
ORDER BY 1, 2;
