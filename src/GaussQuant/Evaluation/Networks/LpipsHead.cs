using static TorchSharp.torch;

namespace GaussQuant.Evaluation.Networks;

/// <summary>
/// One LPIPS "lin" head: a 1×1 convolution without bias from a layer's channels to one, weighting the squared
/// feature differences. The reference wraps it as model = [Dropout, Conv]; the dropout is inactive when the
/// metric is used and is left out here, but the convolution keeps its index 1 so the weights load under
/// <c>lin{k}.model.1.weight</c>.
/// </summary>
internal sealed class LpipsHead : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> model;

    public LpipsHead(long channels) : base("NetLinLayer")
    {
        model = nn.Sequential(("1", nn.Conv2d(channels, 1, 1, bias: false)));
        register_module("model", model);
    }

    public override Tensor forward(Tensor input) => model.call(input);
}
