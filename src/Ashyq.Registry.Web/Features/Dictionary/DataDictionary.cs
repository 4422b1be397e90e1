using System.Reflection;
using System.Text.Json;
using Ashyq.Registry.Core.Exports;
using Ashyq.Registry.Web.Features.Api;
using Ashyq.Registry.Web.Features.Business;
using Ashyq.Registry.Web.Features.Lists;
using Ashyq.Registry.Web.Localization;

namespace Ashyq.Registry.Web.Features.Dictionary;

/// <summary>A field as the dictionary lists it: its name as it appears in the file or answer, its type's text key and its meaning's.</summary>
public sealed record DictionaryField(string Name, string TypeKey, bool Nullable, string MeaningKey);

/// <summary>One JSON answer and the fields of each object in it.</summary>
public sealed record DictionaryAnswer(string TitleKey, string Address, IReadOnlyList<(string Object, IReadOnlyList<DictionaryField> Fields)> Objects);

/// <summary>
/// What the data dictionary (/data) describes, read from the code that writes the files and answers: the
/// CSV and XLSX columns are the downloads' own header, the JSON fields the properties of the records the API
/// and the JSON download serialise. A field added to one of them appears here by itself, and its meaning's
/// text (data.field.{name}) is then required.
/// </summary>
public static class DataDictionary
{
    /// <summary>The meaning and type of each CSV/XLSX column, in the order of <see cref="ListDownload.Header"/>.</summary>
    public static readonly IReadOnlyList<(string Meaning, string Type)> Columns =
    [
        ("data.column.week", "data.type.date"),
        ("data.column.bin", "data.type.text"),
        ("data.column.name", "data.type.text"),
        ("data.column.category", "data.type.text"),
        ("data.column.district", "data.type.text"),
        ("data.column.address", "data.type.text"),
        ("data.column.joinedOn", "data.type.date"),
        ("data.column.scans", "data.type.integer"),
        ("data.column.flagged", "data.type.integer"),
        ("data.column.status", "data.type.text"),
        ("data.column.reason", "data.type.text"),
        ("data.column.source", "data.type.text"),
    ];

    /// <summary>The JSON answers: the list download, then the API's operations, each with the objects it holds.</summary>
    public static IReadOnlyList<DictionaryAnswer> Answers { get; } =
    [
        new("data.answer.download", "/lists/{kind}.json", [("", Fields(typeof(ListDownloadDocument))), ("items", Fields(typeof(ApiListItem)))]),
        new("data.answer.list", "/api/v1/lists/{kind}", [("", Fields(typeof(ApiListPage))), ("items", Fields(typeof(ApiListItem)))]),
        new("data.answer.weeks", "/api/v1/weeks", [("", Fields(typeof(WeekList))), ("items", Fields(typeof(WeekSummary)))]),
        new("data.answer.week", "/api/v1/weeks/{weekStart}", [("", Fields(typeof(WeekDetail))), ("categories, districts", Fields(typeof(CodeCount)))]),
        new("data.answer.business", "/api/v1/businesses/{id}",
            [("", Fields(typeof(ApiBusiness))), ("history", Fields(typeof(ApiBusinessWeek))), ("replies", Fields(typeof(ApiBusinessReply)))]),
    ];

    /// <summary>The status codes the files and the API use, from the registry's own list of them.</summary>
    public static IReadOnlyList<string> StatusCodes { get; } = [.. Enum.GetValues<BusinessStatus>().Select(s => s.ToCode())];

    /// <summary>Every field name the JSON answers hold.</summary>
    public static IEnumerable<string> FieldNames() =>
        Answers.SelectMany(a => a.Objects).SelectMany(o => o.Fields).Select(f => f.Name).Distinct(StringComparer.Ordinal);

    /// <summary>A name in every language, for a code named by a text key.</summary>
    public static IEnumerable<(string Language, string Name)> Names(Texts texts, string key) =>
        Languages.All.Select(language => (language, texts.Get(key, language)));

    private static List<DictionaryField> Fields(Type type)
    {
        var nullability = new NullabilityInfoContext();
        return [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is not null && p.Name != "EqualityContract")
            .Select(p =>
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(p.Name);
                var nullable = nullability.Create(p).ReadState == NullabilityState.Nullable;
                return new DictionaryField(name, TypeKey(p.PropertyType), nullable, "data.field." + name);
            })];
    }

    private static string TypeKey(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
            return "data.type.text";
        if (type == typeof(int) || type == typeof(long))
            return "data.type.integer";
        if (type == typeof(bool))
            return "data.type.boolean";
        if (type == typeof(DateOnly))
            return "data.type.date";
        if (type == typeof(DateTimeOffset))
            return "data.type.dateTime";
        return type.IsGenericType ? "data.type.list" : "data.type.object";
    }
}
