using Microsoft.AspNetCore.Http;
using Viml.Catalog;

namespace Viml.Web;

/// <summary>Reads the rhythm fields of a recommend form: the pace weight and the tempo range.</summary>
static class RhythmForm
{
    public static RhythmOptions Options(IFormCollection form) => new(
        Pace: FormValues.Number(form, "pace") ?? RhythmOptions.DefaultPace,
        BpmMin: FormValues.Number(form, "bpmMin"), BpmMax: FormValues.Number(form, "bpmMax"));
}
