/**
 * Masks patient identifiers in text that leaves the reporter–assignee circle (group posts, leads, backups,
 * other reporters of the same fault). The ticket keeps the original text; only what is shown is masked.
 * Masked: identity card numbers (18 digits / 17 + X, and any other run of ≥ 15 digits, also typed in groups), mobile numbers
 * (11 digits starting 1[3-9], as whole tokens), the values after 住院号/病案号/门诊号/病历号/就诊卡号/ID号, and the
 * name after 患者/病人/病患 (surname kept: "王**"). Short extensions (分机 8823) stay: they are the hospital's.
 */

import { short } from './words.js';

/** Common Chinese surnames: a name after 患者 must start with one ("患者列表" is not a name). */
const SURNAMES = new Set([
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝',
  '欧阳',
  '司马',
  '诸葛',
  '上官',
  '东方',
  '慕容',
]);

/** Words that follow 患者/病人 and are not names. */
const NOT_NAMES =
  /^(信息|列表|资料|数据|档案|报告|结果|姓名|名字|记录|卡|号|的|在|说|家属|那边|这边|端|自助|入院|出院|就诊|挂号|缴费|结算|费用|医嘱|病历|检查|检验|标本|腕带|身份|登记|查询|管理|服务|太多|很多|多|少)/u;

/** ASCII and full-width digits: the text is masked as written, not normalised. */
const D = '[0-9０-９]';
const LONG_DIGITS = new RegExp(`(?<!${D})${D}{14,}[0-9０-９XxＸｘ]?(?![0-9０-９A-Za-zＡ-Ｚａ-ｚ])`, 'gu');
/** An identity number typed in groups ("3205 8419 9003 0715 26"): ≥ 15 digits with single spaces or hyphens between. */
const GROUPED_DIGITS = new RegExp(`(?<!${D})${D}(?:[ \\-]?${D}){14,}(?:[ \\-]?[XxＸｘ])?(?![0-9０-９A-Za-zＡ-Ｚａ-ｚ])`, 'gu');
const MOBILE = new RegExp(`(?<!${D})[1１][3-9３-９]${D}{9}(?!${D})`, 'gu');

/** Every digit (and a final X) starred but the last four; the spaces or hyphens as typed. */
function maskAllButLastFour(m: string): string {
  let hide = [...m].filter((c) => /[0-9０-９XxＸｘ]/u.test(c)).length - 4;
  return [...m].map((c) => (/[0-9０-９XxＸｘ]/u.test(c) && hide-- > 0 ? '*' : c)).join('');
}

function maskName(name: string): string {
  const points = [...name];
  const surname = SURNAMES.has(points.slice(0, 2).join('')) ? 2 : 1;
  return points.slice(0, surname).join('') + '*'.repeat(Math.max(1, points.length - surname));
}

/**
 * The text with patient identifiers masked (see the module comment); full-width digits count as digits.
 * `keepPhones`: numbers shown as written (the roster's own work phones: "刘洋 工程师（138…）会联系您").
 */
export function maskIdentifiers(text: string, keepPhones: ReadonlySet<string> = new Set()): string {
  return (
    text
      // Hospital record numbers: keep the label, hide the value.
      .replace(
        /(住院号|病案号|门诊号|病历号|就诊卡号|就诊号|医保卡号|卡号|ID号|id号|登记号)(\s*(?:是|为|[:：])?\s*)[A-Za-z0-9０-９Ａ-Ｚａ-ｚ-]{3,}/gu,
        '$1$2***',
      )
      // Identity numbers and other long digit runs (bank cards, 15-digit old IDs).
      .replace(LONG_DIGITS, (m) => `${'*'.repeat(m.length - 4)}${m.slice(-4)}`)
      .replace(GROUPED_DIGITS, maskAllButLastFour)
      // Mobiles as whole tokens: "138****5678".
      .replace(MOBILE, (m) => (keepPhones.has(m.normalize('NFKC')) ? m : `${m.slice(0, 3)}****${m.slice(7)}`))
      // The name after 患者/病人: two or three CJK characters starting with a surname.
      .replace(/(患者|病人|病患)(\s*[:：]?\s*)(\p{Script=Han}{2,4})/gu, (m, who: string, sep: string, rest: string) => {
        if (NOT_NAMES.test(rest)) return m;
        const points = [...rest];
        const double = SURNAMES.has(points.slice(0, 2).join(''));
        if (!double && !SURNAMES.has(points[0])) return m;
        // A name is 2–3 characters (3–4 with a double surname); what follows the name stays.
        const len = Math.min(points.length, double ? 4 : 3);
        const name = points.slice(0, len).join('');
        return `${who}${sep}${maskName(name)}${points.slice(len).join('')}`;
      })
  );
}

/**
 * A ticket's title as shown in chat: masked first, then shortened (shortening first could cut an identity
 * number below the masking threshold and show its first digits).
 */
export function shownTitle(title: string, max: number, keepPhones?: ReadonlySet<string>): string {
  return short(maskIdentifiers(title, keepPhones), max);
}
