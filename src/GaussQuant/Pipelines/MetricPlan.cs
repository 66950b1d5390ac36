using GaussQuant.Evaluation;
using GaussQuant.Evaluation.Networks;

namespace GaussQuant.Pipelines;

/// <summary>
/// Which metrics an evaluation computes, given the image size and the networks it has, and the reason for each one
/// it leaves out. PSNR is always computed.
/// </summary>
internal sealed record MetricPlan(bool Ssim, bool MsSsim, Lpips? Lpips, FidInceptionV3? Inception, IReadOnlyList<NotComputedMetric> NotComputed)
{
    public static MetricPlan For(int imageSize, LpipsNetwork lpipsNetwork, EvaluationNetworks networks)
    {
        var notComputed = new List<NotComputedMetric>();
        bool ssim = imageSize >= StructuralSimilarity.WindowSize;
        if (!ssim)
            notComputed.Add(new("ssim", $"SSIM needs images of at least {StructuralSimilarity.WindowSize} px per side; these are {imageSize}"));
        bool msSsim = StructuralSimilarity.IsMultiScaleAvailable(imageSize, imageSize);
        if (!msSsim)
            notComputed.Add(new("ms_ssim",
                $"MS-SSIM needs images of at least {StructuralSimilarity.MultiScaleMinimumSide} px per side; these are {imageSize}"));

        var lpips = networks.Lpips;
        if (lpips is null)
            notComputed.Add(new("lpips", MissingLpipsWeights(lpipsNetwork)));
        else if (imageSize < lpips.MinimumSide)
        {
            notComputed.Add(new("lpips", $"LPIPS ({lpips.Network}) needs images of at least {lpips.MinimumSide} px per side; these are {imageSize}"));
            lpips = null;
        }
        if (networks.Inception is null)
            notComputed.Add(new("rfid", "no --fid-weights given: rFID needs the FID Inception weights pt_inception-2015-12-05-6726825d.pth (pytorch-fid)"));
        return new MetricPlan(ssim, msSsim, lpips, networks.Inception, notComputed);
    }

    private static string MissingLpipsWeights(LpipsNetwork network) => network == LpipsNetwork.AlexNet
        ? "no --lpips-weights given: LPIPS (AlexNet, v0.1, as in the authors' evaluation) needs torchvision's alexnet-owt-7be5be79.pth " +
          "(--lpips-weights) and the lpips package's weights/v0.1/alex.pth (--lpips-heads)"
        : "no --lpips-weights given: LPIPS (VGG16, v0.1) needs torchvision's vgg16-397923af.pth (--lpips-weights) and the lpips " +
          "package's weights/v0.1/vgg.pth (--lpips-heads), or a training checkpoint holding loss.perceptual_loss.* (--lpips-weights alone)";
}
