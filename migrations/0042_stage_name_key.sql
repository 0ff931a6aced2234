-- A stage's name is unique in its pipeline by name_key, the name lower-cased in JavaScript, as pipelines' name_key:
-- comparing SQLite's lower() (ASCII only, D1 has no ICU) with JavaScript's let "Überprüfung" be added twice (two
-- board columns; the import's name map sent rows to the later one), and two adds at once both passed the check.
-- SQLite adds a NOT NULL column only with a default; the schema declares none, so the app must write it.
ALTER TABLE `pipeline_stages` ADD `name_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Existing stages: one character at a time, the capitals of the Latin, Greek and Cyrillic letters lower-cased as
-- JavaScript does (the two strings pair them up), the rest by lower(). Σ is left out: JavaScript makes it σ or ς by
-- its place in the word; such a name keeps Σ in its key until renamed (the app's own check still compares them).
UPDATE `pipeline_stages` SET `name_key` = (
  WITH RECURSIVE c(i, out) AS (
    SELECT 1, ''
    UNION ALL
    SELECT i + 1, out || coalesce(
        substr('àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįĳĵķĺļľŀłńņňŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷÿźżžɓƃƅɔƈɖɗƌǝəɛƒɠɣɩɨƙɯɲɵơƣƥʀƨʃƭʈưʊʋƴƶʒƹƽǆǆǉǉǌǌǎǐǒǔǖǘǚǜǟǡǣǥǧǩǫǭǯǳǳǵƕƿǹǻǽǿȁȃȅȇȉȋȍȏȑȓȕȗșțȝȟƞȣȥȧȩȫȭȯȱȳⱥȼƚⱦɂƀʉʌɇɉɋɍɏͱͳͷϳάέήίόύώαβγδεζηθικλμνξοπρτυφχψωϊϋϗϙϛϝϟϡϣϥϧϩϫϭϯθϸϲϻͻͼͽѐёђѓєѕіїјљњћќѝўџабвгдежзийклмнопрстуфхцчшщъыьэюяѡѣѥѧѩѫѭѯѱѳѵѷѹѻѽѿҁҋҍҏґғҕҗҙқҝҟҡңҥҧҩҫҭүұҳҵҷҹһҽҿӏӂӄӆӈӊӌӎӑӓӕӗәӛӝӟӡӣӥӧөӫӭӯӱӳӵӷӹӻӽӿԁԃԅԇԉԋԍԏԑԓԕԗԙԛԝԟԡԣԥԧԩԫԭԯḁḃḅḇḉḋḍḏḑḓḕḗḙḛḝḟḡḣḥḧḩḫḭḯḱḳḵḷḹḻḽḿṁṃṅṇṉṋṍṏṑṓṕṗṙṛṝṟṡṣṥṧṩṫṭṯṱṳṵṷṹṻṽṿẁẃẅẇẉẋẍẏẑẓẕßạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹỻỽỿ',
          nullif(instr('ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽƁƂƄƆƇƉƊƋƎƏƐƑƓƔƖƗƘƜƝƟƠƢƤƦƧƩƬƮƯƱƲƳƵƷƸƼǄǅǇǈǊǋǍǏǑǓǕǗǙǛǞǠǢǤǦǨǪǬǮǱǲǴǶǷǸǺǼǾȀȂȄȆȈȊȌȎȐȒȔȖȘȚȜȞȠȢȤȦȨȪȬȮȰȲȺȻȽȾɁɃɄɅɆɈɊɌɎͰͲͶͿΆΈΉΊΌΎΏΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΤΥΦΧΨΩΪΫϏϘϚϜϞϠϢϤϦϨϪϬϮϴϷϹϺϽϾϿЀЁЂЃЄЅІЇЈЉЊЋЌЍЎЏАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯѠѢѤѦѨѪѬѮѰѲѴѶѸѺѼѾҀҊҌҎҐҒҔҖҘҚҜҞҠҢҤҦҨҪҬҮҰҲҴҶҸҺҼҾӀӁӃӅӇӉӋӍӐӒӔӖӘӚӜӞӠӢӤӦӨӪӬӮӰӲӴӶӸӺӼӾԀԂԄԆԈԊԌԎԐԒԔԖԘԚԜԞԠԢԤԦԨԪԬԮḀḂḄḆḈḊḌḎḐḒḔḖḘḚḜḞḠḢḤḦḨḪḬḮḰḲḴḶḸḺḼḾṀṂṄṆṈṊṌṎṐṒṔṖṘṚṜṞṠṢṤṦṨṪṬṮṰṲṴṶṸṺṼṾẀẂẄẆẈẊẌẎẐẒẔẞẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸỺỼỾ',
            substr(`pipeline_stages`.`name`, i, 1)), 0), 1),
        lower(substr(`pipeline_stages`.`name`, i, 1)))
    FROM c WHERE i <= length(`pipeline_stages`.`name`)
  )
  SELECT out FROM c ORDER BY i DESC LIMIT 1
);--> statement-breakpoint
-- Duplicates made before this (the bug above): the first in board order keeps its name, the later ones get " (2)",
-- " (3)"… after it, or " #" and their id when another stage of the pipeline has that name already.
UPDATE `pipeline_stages` SET
  `name` = `name` || r.suffix,
  `name_key` = `name_key` || r.suffix
FROM (
  SELECT d.id, CASE WHEN EXISTS (SELECT 1 FROM `pipeline_stages` e WHERE e.`tenant_id` = d.`tenant_id`
      AND e.`pipeline_id` = d.`pipeline_id` AND e.`name_key` = d.`name_key` || ' (' || d.n || ')')
    THEN ' #' || d.id ELSE ' (' || d.n || ')' END AS suffix
  FROM (SELECT `id`, `tenant_id`, `pipeline_id`, `name_key`, row_number() OVER (
      PARTITION BY `tenant_id`, `pipeline_id`, `name_key` ORDER BY `position`, `id`) AS n FROM `pipeline_stages`) d
  WHERE d.n > 1
) r
WHERE r.id = `pipeline_stages`.`id`;--> statement-breakpoint
CREATE UNIQUE INDEX `pipeline_stages_tenant_pipeline_name_unique` ON `pipeline_stages` (`tenant_id`,`pipeline_id`,`name_key`);
