// The partner's redirect page: hand the result to the page that opened the popup.
window.PartnerHubConnect.handlePermissionsCallback();
