-- Every transaction with its screening result (the struct of `screen`), for `COPY ... TO` or inspection.
SELECT id,
       screen(exporter, exporter_country, "item.ccl", "item.eu", "item.wa", "item.nl", "item.jp",
           "item.kr", item_origin, us_content, data_centre, tpp, performance_density, activity,
           destination, purchaser, intermediate_consignee, ultimate_consignee, end_user,
           end_use, us_person, fdp, notified, "date", contract_date) AS s
FROM transactions;
