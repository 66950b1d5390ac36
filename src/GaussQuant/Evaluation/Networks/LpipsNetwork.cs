namespace GaussQuant.Evaluation.Networks;

/// <summary>Backbone of an LPIPS distance: AlexNet (the authors' evaluation metric) or VGG16 (their training loss).</summary>
public enum LpipsNetwork
{
    AlexNet,
    Vgg16,
}
