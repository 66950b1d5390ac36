using GaussQuant.Config;

namespace GaussQuant.Quantization.Continuous;

/// <summary>
/// Maps the params of <c>pit.quantization.gaussian.IdentityRegularizer</c> (none) and of the removed
/// <c>pit.quantization.gaussian.GaussianRegularizer</c> (<c>format</c>, <c>mode</c>) onto their options.
/// </summary>
internal static class ContinuousTargets
{
    public static IdentityRegularizerOptions ReadIdentity(ConfigSection p)
    {
        p.RejectUnknown();
        return new IdentityRegularizerOptions();
    }

    public static GaussianKlRegularizerOptions ReadGaussianKl(ConfigSection p)
    {
        LatentFormat.RequireBchw(p);
        // mode "target" (fixed weights around a nat target) belonged to experiments no released config uses.
        p.Require(p.String("mode", "even") == "even", "mode", "only 'even' (a plain KL penalty) is supported");
        p.RejectUnknown();
        return new GaussianKlRegularizerOptions();
    }
}
