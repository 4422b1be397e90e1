using System.Globalization;

namespace Ashyq.Registry.Core.Follows;

/// <summary>One sentence of the follow emails in each of the site's languages.</summary>
public sealed record MailSentence(string Ru, string Kk, string En)
{
    public string In(string language) => language switch
    {
        "kk" => Kk,
        "en" => En,
        _ => Ru,
    };

    public string Format(string language, params object?[] args) =>
        string.Format(CultureInfo.InvariantCulture, In(language), args);
}

/// <summary>
/// The words of the follow emails. They are written by the job server, away from any request, so they
/// live here beside the mailing rather than in the site's texts; the type makes each language required.
/// </summary>
public static class FollowMailText
{
    public static readonly MailSentence ConfirmSubject = new(
        "Ashyq: подтвердите подписку", "Ashyq: жазылымды растаңыз", "Ashyq: confirm what you follow");

    public static readonly MailSentence ConfirmBody = new(
        "Здравствуйте!\n\nНа сайте реестра Ashyq попросили присылать на этот адрес письмо, когда меняется: {0}.\n\nЧтобы подтвердить, откройте ссылку:\n{1}\n\nЕсли вы этого не просили, ничего не делайте: без подтверждения запрос будет удалён через {2} дн., и писем больше не будет.",
        "Сәлеметсіз бе!\n\nAshyq тізілімінің сайтында осы мекенжайға мына нәрсе өзгергенде хат жіберуді сұрады: {0}.\n\nРастау үшін сілтемені ашыңыз:\n{1}\n\nЕгер сіз мұны сұрамаған болсаңыз, ештеңе істемеңіз: расталмаған сұрау {2} күннен кейін жойылады, басқа хат келмейді.",
        "Hello,\n\nSomeone asked the Ashyq registry's site to email this address when this changes: {0}.\n\nTo confirm, open this link:\n{1}\n\nIf you did not ask for it, do nothing: without a confirmation the request is deleted after {2} days and nothing more is sent.");

    public static readonly MailSentence ChangeSubject = new(
        "Ashyq: изменения за неделю {0}", "Ashyq: {0} аптасындағы өзгерістер", "Ashyq: changes in the week of {0}");

    public static readonly MailSentence ChangeIntro = new(
        "Опубликована неделя {0}. Изменилось то, за чем вы следите:",
        "{0} аптасы жарияланды. Сіз бақылайтын нәрсе өзгерді:",
        "The week of {0} is published. What you follow changed:");

    public static readonly MailSentence CorrectedSubject = new(
        "Ashyq: неделя {0} исправлена", "Ashyq: {0} аптасы түзетілді", "Ashyq: the week of {0} was corrected");

    public static readonly MailSentence CorrectedIntro = new(
        "Неделя {0} исправлена: опубликован другой файл вместо прежнего. Вот что теперь изменилось по сравнению с предыдущей неделей в том, за чем вы следите (это заменяет прежнее письмо):",
        "{0} аптасы түзетілді: бұрынғы файлдың орнына басқа файл жарияланды. Сіз бақылайтын нәрседе алдыңғы аптамен салыстырғанда енді мынасы өзгерді (бұл бұрынғы хаттың орнына):",
        "The week of {0} was corrected: another file was published in place of the earlier one. This is what now changed in what you follow against the week before (it takes the place of the earlier email):");

    public static readonly MailSentence CorrectedNoChange = new(
        "Неделя {0} исправлена: опубликован другой файл вместо прежнего. Теперь в том, за чем вы следите, ничего не изменилось по сравнению с предыдущей неделей; прежнее письмо об этой неделе больше не верно.",
        "{0} аптасы түзетілді: бұрынғы файлдың орнына басқа файл жарияланды. Енді сіз бақылайтын нәрседе алдыңғы аптамен салыстырғанда ештеңе өзгерген жоқ; осы апта туралы бұрынғы хат енді дұрыс емес.",
        "The week of {0} was corrected: another file was published in place of the earlier one. Nothing you follow changed against the week before any more; the earlier email about this week no longer holds.");

    public static readonly MailSentence BusinessChange = new(
        "{0} (БИН/ИИН {1}): в неделю {2} — {3}; неделей раньше ({4}) — {5}.\n{6}",
        "{0} (БСН/ЖСН {1}): {2} аптасында — {3}; алдыңғы аптада ({4}) — {5}.\n{6}",
        "{0} (BIN/IIN {1}): in the week of {2} — {3}; the week before ({4}) — {5}.\n{6}");

    public static readonly MailSentence CategoryHeading = new("Категория «{0}»", "«{0}» санаты", "Category “{0}”");

    public static readonly MailSentence DistrictHeading = new("Район «{0}»", "«{0}» ауданы", "District “{0}”");

    public static readonly MailSentence Counts = new(
        "участников {0} (было {1}), лидеров {2} (было {3}), аутсайдеров {4} (было {5}), исключённых {6} (было {7})",
        "қатысушылар {0} (бұрын {1}), көшбасшылар {2} (бұрын {3}), аутсайдерлер {4} (бұрын {5}), шығарылғандар {6} (бұрын {7})",
        "participants {0} (was {1}), leaders {2} (was {3}), outsiders {4} (was {5}), excluded {6} (was {7})");

    public static readonly MailSentence Entered = new("Вошли в список «{0}»: {1}", "«{0}» тізіміне кірді: {1}", "Entered the {0} list: {1}");

    public static readonly MailSentence Left = new("Вышли из списка «{0}»: {1}", "«{0}» тізімінен шықты: {1}", "Left the {0} list: {1}");

    public static readonly MailSentence More = new("и ещё {0}", "және тағы {0}", "and {0} more");

    public static readonly MailSentence Unsubscribe = new(
        "Отписаться от всех писем реестра (адрес и подписки будут удалены):\n{0}",
        "Тізілімнің барлық хаттарынан бас тарту (мекенжай мен жазылымдар жойылады):\n{0}",
        "Stop every email of the registry (the address and what it follows are deleted):\n{0}");

    public static readonly MailSentence TargetBusiness = new("предприятие «{0}» (БИН/ИИН {1})", "«{0}» кәсіпорны (БСН/ЖСН {1})", "the business “{0}” (BIN/IIN {1})");

    public static readonly MailSentence TargetCategory = new("категория «{0}»", "«{0}» санаты", "the category “{0}”");

    public static readonly MailSentence TargetDistrict = new("район «{0}»", "«{0}» ауданы", "the district “{0}”");

    public static readonly IReadOnlyDictionary<string, MailSentence> Statuses = new Dictionary<string, MailSentence>(StringComparer.Ordinal)
    {
        ["leader"] = new("лидер", "көшбасшы", "leader"),
        ["outsider"] = new("аутсайдер", "аутсайдер", "outsider"),
        ["participant"] = new("участник", "қатысушы", "participant"),
        ["excluded"] = new("исключён", "шығарылды", "excluded"),
    };

    public static readonly MailSentence NotListed = new("нет в выгрузке", "тізімде жоқ", "not in the export");

    public static readonly IReadOnlyDictionary<string, MailSentence> Lists = new Dictionary<string, MailSentence>(StringComparer.Ordinal)
    {
        ["leader"] = new("лидеры", "көшбасшылар", "leaders"),
        ["outsider"] = new("аутсайдеры", "аутсайдерлер", "outsiders"),
        ["excluded"] = new("исключённые", "шығарылғандар", "excluded"),
    };

    public static string Status(string? status, string language) =>
        status is not null && Statuses.TryGetValue(status, out var sentence) ? sentence.In(language) : NotListed.In(language);
}
